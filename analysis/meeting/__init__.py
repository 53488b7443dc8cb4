"""What a meeting agrees on and gathers: the verbeterplan, and the live session's rules and codes."""
