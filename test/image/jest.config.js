// The container test alone (`npm run image:test`, after scripts/image-test.sh has built the images); the default
// suite leaves test/image out.
const { projects } = require('../../jest.config.js');
const integration = projects.find((p) => p.displayName === 'integration');

/** @type {import('jest').Config} */
module.exports = { ...integration, displayName: 'image', rootDir: '../..', roots: ['<rootDir>/test/image'], testPathIgnorePatterns: [] };
