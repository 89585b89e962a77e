/** @type {import('jest').Config} */
const swcTs = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
    module: { type: 'commonjs' },
  },
];
// aedes 1.x is ESM-only; Jest on Node 20 cannot require() ESM, so it is transformed like our own code
const swcEsmDep = ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript', importAttributes: true }, target: 'es2022' }, module: { type: 'commonjs' } }];
const moduleNameMapper = {
  '^@vigil/(contracts|config|model|sqlite|streams)$': '<rootDir>/libs/$1/src',
  '^@vigil/(contracts|config|model|sqlite|streams)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
const common = {
  testEnvironment: '<rootDir>/jest.ort-env.js', // shares typed-array constructors with onnxruntime-node
  transform: { '^.+\\.ts$': swcTs, '^.+/node_modules/aedes/.+\\.js$': swcEsmDep },
  transformIgnorePatterns: ['/node_modules/(?!aedes/)'],
  moduleNameMapper,
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', roots: ['<rootDir>/apps', '<rootDir>/libs'], testMatch: ['**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.spec.ts'],
      // needs the images built by scripts/image-test.sh: `npm run image:test`
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/image/'],
      slowTestThreshold: 60,
    },
  ],
};
