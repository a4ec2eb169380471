"""Item analysis from candidate responses (`cmas-bank analyze`).

- `inputs`, `responses`: reading responses files into one table, every problem located (IA1xx): our
  long and wide CSV, `platforms` (Moodle and Canvas quiz reports), `qti_results` (QTI results XML);
- `classical`: classical test theory statistics of a form (p-values, point-biserials, the
  upper-lower index, distractor tables, KR-20, SEM, alpha if deleted);
- `rasch`: Rasch difficulties, standard errors and fit by joint maximum likelihood;
- `flags`: item flags (IA2xx) and data warnings (IA3xx) with thresholds from `settings`;
- `output`: the stats file (YAML), its JSON and CSV exports, and the text report;
- `run`: the whole run, as the command performs it.

numpy is imported here, so only `analyze` pays for it.
"""
