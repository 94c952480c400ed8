// Imports each command group so it registers itself with the program.
export {};
