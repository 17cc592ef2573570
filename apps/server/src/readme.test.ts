// Runs every ```ts example of this package's README (see scripts/readme-examples.ts).
import { fileURLToPath } from 'node:url';
import { testReadmeExamples } from '../../../scripts/readme-examples.js';

testReadmeExamples(fileURLToPath(new URL('..', import.meta.url)));
