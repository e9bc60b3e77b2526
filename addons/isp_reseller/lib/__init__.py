"""Plain rules of isp_reseller: the commission chain and per-minute charges,
which packages an operator's customers may have."""
