"""The engine every bank-wide command runs on: discovery and a stat-first survey of the files
(`survey`), one file's own checks on every core (`workers`), a result cache that is safe to find
in a checkout (`store`), and the run that ties them to the bank-wide stages (`run`)."""
