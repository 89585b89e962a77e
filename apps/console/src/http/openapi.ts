import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';

/** OpenAPI document of the console's REST API at /api/openapi.json, browsable at /api/docs (served locally). */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Vigil operator console API')
    .setDescription(
      'Events from every site (fall, fire, smoke), their acknowledgement and resolution, cameras, users. ' +
        'Sign in with POST /api/login; the session cookie `vigil_session` authorises the other calls. ' +
        'Roles: viewer (read), operator (acknowledge, resolve), admin (users). Live updates: GET /api/stream (server-sent events).',
    )
    .setVersion('1')
    .addCookieAuth('vigil_session')
    .build();
  const document = cleanupOpenApiDoc(SwaggerModule.createDocument(app, config));
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/openapi.json', swaggerOptions: { persistAuthorization: true } });
}
