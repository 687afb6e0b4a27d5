"""News intake (DESIGN §7): clean reports, split pages into articles, extract project facts, review them."""
