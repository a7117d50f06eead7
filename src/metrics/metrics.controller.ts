import {
  Controller,
  Get,
  NotFoundException,
  Req,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ConfigService } from '@nestjs/config';
import { Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Public } from '../auth/decorators';
import { Env } from '../config/env';
import { Metrics } from './metrics';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** `GET /metrics` in Prometheus text format; bearer METRICS_TOKEN when one is set. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  private readonly token?: Buffer;

  constructor(
    private readonly metrics: Metrics,
    config: ConfigService<Env, true>,
  ) {
    const token = config.get('METRICS_TOKEN', { infer: true });
    if (token) this.token = digest(token);
  }

  @Get()
  @Public()
  async scrape(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!this.metrics.enabled) throw new NotFoundException();
    if (this.token) {
      const header = req.headers.authorization ?? '';
      const given = /^bearer (.+)$/i.exec(header.trim())?.[1] ?? '';
      // Compared as digests: constant time whatever the lengths.
      if (!timingSafeEqual(digest(given), this.token)) throw new UnauthorizedException();
    }
    res.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
