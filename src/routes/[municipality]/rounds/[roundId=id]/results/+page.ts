// The results page needs no JavaScript (issue 17 point 3: light on a phone). "Recount here" leads to the recount
// page, which loads the engine only there.
export const csr = false;
