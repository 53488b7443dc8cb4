"""From answer codes to scores: statements, themes, groups under the minimum group size, filters, change between
rounds, and the leernetwerk's figures."""
