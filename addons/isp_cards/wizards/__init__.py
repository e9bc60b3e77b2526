from . import isp_card_wizards
