"""Data for recognising the same post by another route: query parameters that never change
which page a link shows (trackers, campaign tags, share buttons' marks)."""

from __future__ import annotations

# Exact parameter names, compared in lower case.
TRACKING_PARAMETERS: frozenset[str] = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
    "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id",
    "vero_id", "wickedid", "rb_clickid", "s_cid", "ref", "ref_src", "ref_url", "referrer",
    "cmpid", "ncid", "ocid", "sr_share", "amp", "smid", "spm", "icid", "ito",
    "ns_source", "ns_mchannel", "ns_campaign",
    "ns_linkname", "ns_fee", "at_medium", "at_campaign", "at_custom1", "replytocom",
})
# Parameter name prefixes: utm_source, utm_medium, pk_campaign, hsa_ad ...
TRACKING_PREFIXES: tuple[str, ...] = ("utm_", "pk_", "hsa_", "mtm_", "matomo_", "piwik_", "at_")
# Path suffixes that show the same post in another dress (AMP pages, feeds of one post).
ALTERNATE_SUFFIXES: tuple[str, ...] = ("/amp", "/feed", "/embed")
