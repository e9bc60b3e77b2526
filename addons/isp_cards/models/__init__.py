from . import res_company, res_partner, isp_card_batch, isp_card, isp_card_attempt, isp_notice
from . import isp_card_report
