import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Response } from 'express';
import { map, Observable } from 'rxjs';
import { stringifyWireJson } from './wire-json';
import { WireResponse } from './wire-response';

/** Serialises every controller result with exact decimals (see wire-json). */
@Injectable()
export class WireJsonInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const res = ctx.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((body: unknown) => {
        if (typeof body === 'string' || body === undefined) return body;
        res.type('application/json');
        if (body instanceof WireResponse) {
          res.status(body.httpStatus);
          for (const [name, value] of Object.entries(body.headers)) res.setHeader(name, value);
          return body.body;
        }
        return stringifyWireJson(body);
      }),
    );
  }
}
