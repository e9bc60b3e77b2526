"""Plain business rules of isp_billing (no ORM): proration, periods, plan
changes, SMS segments, report figures."""
