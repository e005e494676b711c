"""The traffic: how responses reach the checks, live or recorded.

`transport` (the httpx client; live, recording and replay transports), `cassettes` (vcrpy-format
cassettes: load, scrub, atomic save) and `_yaml` (the fast YAML reader). Everything here turns bytes
on a wire or in a file into `pytest_signcheck.exchange.Exchange`s; nothing here judges them.
"""
