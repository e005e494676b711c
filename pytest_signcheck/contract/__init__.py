"""The contract: what the vendor documents, as data the rest of signcheck reads.

`endpoints` (the documented endpoints and releases), `redact` (which fields are secret or personal)
and `schemas` (the shipped JSON Schemas in one registry). Import the submodule you need: this
package imports nothing, so `endpoints` stays cheap for the plugin's start-up.
"""
