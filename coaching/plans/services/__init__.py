"""Writes of business plans, one module per sub-domain (HackSoft style: keyword-only,
``<entity>_<action>``, atomic)."""
