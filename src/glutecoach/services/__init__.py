"""The use cases both interfaces call: read and check input, call the domain, write the result."""
