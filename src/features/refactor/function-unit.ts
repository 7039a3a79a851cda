// The name the measurers give the code outside every function; its own file so that the
// measurers and complexity.ts, which calls them, import it without a cycle.
/** Name of the unit that gathers code outside any function. */
export const TOP_LEVEL = "(top level)";
