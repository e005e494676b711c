"""The report: what a run found, gathered and rendered for people, machines and CI.

`recorder` (findings and could-not-check problems gathered across a run and xdist workers) and
`render` (JSON, Markdown and terminal renderings, and the exit status that goes with them).
"""
