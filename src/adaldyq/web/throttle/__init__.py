"""Rate limits on the public pages (issue 16; ADR 0028): wrong tries counted per address and per number."""
