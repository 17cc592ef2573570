import { Hono } from 'hono';

// The HTTP surface. Health endpoints answer like Prometheus' own.
export function createApp(): Hono {
  const app = new Hono();
  app.get('/-/healthy', (c) => c.text('Pushgateway is Healthy.\n'));
  app.get('/-/ready', (c) => c.text('Pushgateway is Ready.\n'));
  return app;
}
