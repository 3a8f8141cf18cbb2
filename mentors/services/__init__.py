"""Mentoring services: writes, one module per area (HackSoft style: keyword-only, atomic)."""
