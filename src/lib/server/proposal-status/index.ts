// The one writer of proposals.status. Its own folder, below rounds, proposals and results, so that all three call it
// without importing one another in a circle (rounds → proposals → rounds).
export * from './status';
