// Scripting — placeholder until implemented.
