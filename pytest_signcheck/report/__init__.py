"""The report: what a run found, gathered, judged and rendered for people, machines and CI.

`recorder` gathers findings, problems and evidence across a run and its xdist workers; `build` makes
the report data and its verdict, with the findings grouped by fingerprint (`groups`) and the groups
read as causes (`causes`); `baseline` is accepted drift. `render` (JSON, terminal), `markdown` and
`ci` (JUnit cases, GitHub annotations and job summary) render it; `outputs` writes a run's files.
`diff` compares two reports by fingerprint; `recordings`, `changes` and `changes_report` compare what
two recordings of the API returned.
"""
