# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Two sales of the same shop at the same moment (two committed cursors in
two threads, as the distributor's own login): each buyer gets a card of its
own. isp_cards takes the card with SELECT ... FOR UPDATE SKIP LOCKED; the
SMS provider's balance row serialises the two sales, the second one is
retried as Odoo's request layer does on a serialization error."""
import threading
import unittest

import psycopg2

from odoo import api
from odoo.tests.common import TransactionCase, at_install, post_install
from odoo.tools import mute_logger

from odoo.addons.isp_base.tests.common import committed_env
from odoo.addons.isp_cards.lib import cards as card_lib

from .standins import SmsStandin


@at_install(False)
@post_install(True)
class TestConcurrentSales(TransactionCase):

    def test_two_sales_at_once_sell_two_different_cards(self):
        user = self.env.ref("isp_cards.user_distributor_demo", raise_if_not_found=False)
        if not user:
            raise unittest.SkipTest("isp_cards demo data is not installed")
        shop = self.env.ref("isp_cards.distributor_isp")
        plan = self.env.ref("isp_base.plan_daily_10m_7d")
        sms = SmsStandin().start()
        registry = self.registry
        with committed_env(registry) as env:
            providers = env["isp.sms.provider"].search([])
            provider_ids = providers.ids
            providers.write({"active": False})
            stock = env["isp.card"].search([
                ("distributor_id", "=", shop.id), ("plan_id", "=", plan.id),
                ("state", "=", "new")])
            in_stock = len(stock)
            # the clear PINs leave the database with the SMS: put back after
            pins = {card.id: card.pin for card in stock.sudo()}
            standin_id = env["isp.sms.provider"].create({
                "name": "SMS stand-in (concurrency)", "url": sms.url + "/send",
                "method": "post", "balance": 100,
                "company_id": stock[:1].company_id.id or env.user.company_id.id}).id
        barrier = threading.Barrier(2)
        sold, errors, retried = {}, [], []

        def sell(mobile):
            try:
                for attempt in range(5):   # what Odoo's request layer does
                    try:
                        with api.Environment.manage(), registry.cursor() as cr:
                            env = api.Environment(cr, user.id, {})
                            partner = env["res.partner"].browse(shop.id)
                            partner.read(["name"])   # the snapshot starts first
                            if attempt == 0:
                                barrier.wait(timeout=30)
                            card = partner.sell_digital(
                                env["isp.service.plan"].browse(plan.id), mobile)
                            sold[mobile] = card.id
                        return
                    except psycopg2.extensions.TransactionRollbackError:
                        retried.append(mobile)
            except Exception as exc:   # reported below
                errors.append(exc)

        mobiles = ["+8801711000901", "+8801711000902"]
        try:
            with mute_logger("odoo.sql_db"):
                threads = [threading.Thread(target=sell, args=(m,)) for m in mobiles]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(120)
            self.assertFalse(errors, errors)
            self.assertEqual(sorted(sold), mobiles)
            self.assertNotEqual(sold[mobiles[0]], sold[mobiles[1]])
            with committed_env(registry) as env:
                cards_ = env["isp.card"].browse(list(sold.values())).sudo()
                self.assertEqual(sorted(cards_.mapped("sold_to")), mobiles)
                self.assertEqual(set(cards_.mapped("state")), {"sold"})
                self.assertEqual(env["isp.card"].search_count([
                    ("distributor_id", "=", shop.id), ("plan_id", "=", plan.id),
                    ("state", "=", "new")]), in_stock - 2)
                for card in cards_:
                    self.assertFalse(card.pin)   # in the SMS only
                    self.assertIn(card_lib.format_pin(pins[card.id]),
                                  sms.last_to(card.sold_to))
            self.assertEqual(len(sms.messages), 2)
        finally:
            sms.stop()
            with committed_env(registry) as env:
                cr = env.cr
                if sold:
                    ids = tuple(sold.values())
                    cr.execute("DELETE FROM isp_notice WHERE event_key IN %s",
                               (tuple("card_sold:isp.card:%d" % i for i in ids),))
                    cr.execute("UPDATE isp_card SET state = 'new', sold_to = NULL, "
                               "sold_at = NULL, pin_released = NULL, "
                               "pin_released_at = NULL, pin_released_by = NULL "
                               "WHERE id IN %s", (ids,))
                    for card_id in ids:
                        cr.execute("UPDATE isp_card SET pin = %s WHERE id = %s",
                                   (pins[card_id], card_id))
                cr.execute("DELETE FROM isp_notice WHERE event = 'card_sold' "
                           "AND recipient IN %s", (tuple(mobiles),))
                cr.execute("DELETE FROM isp_sms_provider WHERE id = %s", (standin_id,))
                if provider_ids:
                    cr.execute("UPDATE isp_sms_provider SET active = true WHERE id IN %s",
                               (tuple(provider_ids),))
