"""The client's address for the site's rate limits, read one way everywhere.

Allauth's sign-in limits and coaching's hand-over limit (``COACHING_CLIENT_ADDRESS``) both
name the client through this rule, so the trusted-proxy count is configured once.
"""

import ipaddress

from allauth import app_settings as allauth_settings
from allauth.account.adapter import get_adapter


def client_address(request) -> str:
    """The address allauth's adapter reads (X-Forwarded-For only from the trusted proxies);
    an IPv6 address stands for its whole network (``ALLAUTH_RATE_LIMIT_IPV6_PREFIX``, /64),
    as in allauth's own limits, since one household holds all of those."""
    ip = get_adapter(request).get_client_ip(request)
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip or "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        prefix = allauth_settings.RATE_LIMIT_IPV6_PREFIX
        return str(ipaddress.IPv6Network(f"{address}/{prefix}", strict=False).network_address)
    return str(address)
