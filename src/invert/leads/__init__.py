"""What an investigator acts on: the reasons behind a lead and inspection target lists."""
