# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Card PINs: nobody reads them back (issue 16). A card keeps the keyed
hash of its PIN; the clear PIN is kept only until it is printed, exported or
sent, and only the superuser and Settings administrators reach it, by any
path of the ORM."""
import importlib.util
import os

from odoo.exceptions import AccessError
from odoo.tests.common import at_install, post_install

from ..lib import cards as lib
from .common import CardsCase

MIGRATION = os.path.join(os.path.dirname(__file__), "..", "migrations", "11.0.1.1.0",
                         "pre-migration.py")


@at_install(False)
@post_install(True)
class TestPinSecrecy(CardsCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.isp_batch = cls.batch_of(cls.D, cls.plan_daily, 2)
        cls.r_batch = cls.batch_of(cls.DR, cls.plan_R, 2)
        cls.system = cls.env["res.users"].with_context(no_reset_password=True).create({
            "name": "t.system", "login": "t.system", "password": "t.system",
            "groups_id": [(6, 0, [cls.env.ref("base.group_user").id,
                                  cls.env.ref("base.group_system").id,
                                  cls.env.ref("isp_cards.group_isp_card_manager").id])]})

    @classmethod
    def batch_of(cls, distributor, plan, quantity):
        batch = cls.env["isp.card.batch"].create({
            "operator_id": distributor.isp_operator_id.id, "distributor_id": distributor.id,
            "plan_id": plan.id, "value": plan.customer_price, "commission": 10.0,
            "quantity": quantity})
        batch.action_generate()
        return batch

    def reaches(self, user, card, field):
        """The ways `user` gets at `field` of `card` (each path of the ORM
        that answers instead of refusing)."""
        Card = self.Card.sudo(user)
        value = card.sudo()[field]
        paths = {
            "read": lambda: Card.browse(card.id).read([field]),
            "search": lambda: Card.search([(field, "=", value)]),
            "search_count": lambda: Card.search_count([(field, "!=", False)]),
            "order": lambda: Card.search([], order=field, limit=1),
            "read_group": lambda: Card.read_group([], [field], [field]),
            "export": lambda: Card.browse(card.id).export_data([field]),
        }
        reached = set()
        for name, path in paths.items():
            try:
                path()
            except AccessError:
                continue
            reached.add(name)
        return reached

    def test_nobody_but_the_system_reaches_pins_and_hashes(self):
        card = self.isp_batch.card_ids[0]
        r_card = self.r_batch.card_ids[0]
        everything = {"read", "search", "search_count", "order", "read_group", "export"}
        users = {
            "card manager": self.card_manager, "distributor": self.user_D,
            "reseller's distributor": self.user_DR, "reseller": self.user_R,
            "sub-reseller": self.user_S, "reseller's cashier": self.cashier_R,
            "ISP admin": self.admin_user, "manager": self.manager, "cashier": self.cashier,
            "technician": self.technician, "helpdesk": self.helpdesk,
            "auditor": self.auditor, "Settings administrator": self.system,
        }
        for field in ("pin", "pin_hash"):
            reached = {}
            for role, user in users.items():
                target = r_card if role.startswith("reseller") else card
                paths = self.reaches(user, target, field)
                if paths:
                    reached[role] = paths
            self.assertEqual(reached, {"Settings administrator": everything}, field)
            # the superuser (the suite's own code)
            self.assertEqual(self.Card.browse(card.id).read([field])[0][field],
                             card.sudo()[field])

    def test_pin_display_reads_nothing(self):
        """pin_display / redeem_url / qr_data_uri are public methods: they
        give the PIN passed by the print or the SMS, never the stored one."""
        card = self.isp_batch.card_ids[0]
        for user in (self.card_manager, self.user_D, self.system):
            for method in ("pin_display", "redeem_url", "qr_data_uri"):
                with self.assertRaisesRegex(Exception, "is not kept"):
                    getattr(card.sudo(user), method)()
        self.assertEqual(card.with_context(isp_card_pins={card.id: "7K3M9PRT2WXA"})
                         .pin_display(), "7K3M-9PRT-2WXA")

    def test_hash_is_keyed(self):
        card = self.isp_batch.card_ids[0].sudo()
        key = self.env["ir.config_parameter"].sudo().get_param("isp_cards.pin_key")
        self.assertEqual(len(key), 64)
        self.assertEqual(card.pin_hash, lib.pin_hash(key, card.pin))
        self.assertNotIn(card.pin, card.pin_hash)

    def test_migration_hashes_existing_pins(self):
        """migrations/11.0.1.1.0: cards of the old version (clear PIN, no
        hash, unique index on the PIN, no key) are hashed; the clear PIN of
        the cards no longer in stock is dropped."""
        batch = self.batch(self.D, quantity=4)
        new, sold, used, cancelled = batch.card_ids.sorted("serial")
        pins = {card: card.pin for card in (new, sold, used, cancelled)}
        ids = tuple(batch.card_ids.ids)
        cr = self.env.cr
        # the old version's table (rolled back with the test)
        cr.execute("ALTER TABLE isp_card ALTER COLUMN pin_hash DROP NOT NULL")
        cr.execute("""UPDATE isp_card SET pin_hash = NULL, pin_released = NULL,
                             pin_released_at = NULL WHERE id IN %s""", (ids,))
        for card, state in ((sold, "sold"), (used, "redeemed"), (cancelled, "cancelled")):
            cr.execute("UPDATE isp_card SET state = %s, pin = %s, "
                       "sold_at = '2031-01-02 03:04:05' WHERE id = %s",
                       (state, pins[card], card.id))
        cr.execute("ALTER TABLE isp_card ADD CONSTRAINT isp_card_pin_uniq UNIQUE (pin)")
        cr.execute("DELETE FROM ir_config_parameter WHERE key = 'isp_cards.pin_key'")
        Param = self.env["ir.config_parameter"]
        self.addCleanup(Param.clear_caches)   # the key of the test's database comes back
        spec = importlib.util.spec_from_file_location("isp_cards_pre_migration", MIGRATION)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(cr, "11.0.1.0.0")
        Param.clear_caches()
        key = Param.sudo().get_param("isp_cards.pin_key")
        self.assertEqual(len(key), 64)
        cr.execute("SELECT id, pin, pin_hash, pin_released, pin_released_at FROM isp_card "
                   "WHERE id IN %s", (ids,))
        rows = {r[0]: r[1:] for r in cr.fetchall()}
        self.assertEqual(rows[new.id], (pins[new], lib.pin_hash(key, pins[new]), None, None))
        self.assertEqual(rows[sold.id][:3], (None, lib.pin_hash(key, pins[sold]), "sent"))
        self.assertEqual(str(rows[sold.id][3]), "2031-01-02 03:04:05")
        for card in (used, cancelled):
            self.assertEqual(rows[card.id], (None, lib.pin_hash(key, pins[card]), None, None))
        cr.execute("SELECT count(*) FROM pg_constraint WHERE conname = 'isp_card_pin_uniq'")
        self.assertEqual(cr.fetchone()[0], 0)
        cr.execute("SELECT count(*) FROM isp_card WHERE pin_hash IS NULL")
        self.assertEqual(cr.fetchone()[0], 0)
        # again: nothing to do, nothing changed
        self.assertEqual(migration.hash_pins(cr), (0, 0))
        self.assertEqual(Param.sudo().get_param("isp_cards.pin_key"), key)
        # the hashed card in stock is used by its PIN
        self.Card.invalidate_cache()
        self.Card.redeem(pins[new], self.isp_sub())
        self.assertEqual(new.state, "redeemed")
