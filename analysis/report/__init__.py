"""What is shown and handed out: the report model, the charts, next steps with reading, download names, and the
export files (HTML, PDF, PPTX, Excel, PNG, and the plan as Word and Excel)."""
