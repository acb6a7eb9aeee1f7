// n8n loads this package through the "n8n" section of package.json (dist/nodes, dist/credentials);
// there is nothing to export from the package entry.
module.exports = {};
