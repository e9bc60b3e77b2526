# Plain business rules of isp_mikrotik (no Odoo models): command payloads,
# drift, import parsing and the RouterOS API client.
