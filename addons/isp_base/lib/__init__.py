"""Plain business rules of isp_base: no ORM, no database. The models call
them; tests check them with tables of cases."""
