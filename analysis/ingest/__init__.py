"""Reading survey exports: files and sheets, the header layout, matching headers and answers to an instrument,
the analyst's reusable fixes (koppelingen), and the limits that keep hostile files out.

Empty on purpose: importing one part (e.g. the limits) must not load the whole reading stack."""
