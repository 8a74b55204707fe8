"""Publishing: the inbox of raw texts waiting, and the permanence of every published URL."""
