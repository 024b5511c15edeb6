"""Pure UI functions: they take data (values or Vars) and return rx.Component."""
