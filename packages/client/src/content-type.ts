import { CONTENT_TYPE_TEXT_004 } from '@promethium/exposition';

// prom-client exposes the registry's default content type under this name.
export const contentType: string = CONTENT_TYPE_TEXT_004;
