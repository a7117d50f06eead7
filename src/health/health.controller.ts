import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Public } from '../auth/decorators';
import { MigrationStateRepository } from '../database/migration-state.repository';

/**
 * `/health` (database reachable, as before), `/health/live` (the process answers: restart it
 * when this fails) and `/health/ready` (database reachable and every migration applied: send
 * it traffic only when this passes). Failing checks answer 503.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly migrationState: MigrationStateRepository,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  check() {
    return this.health.check([() => this.database.pingCheck('database', { timeout: 2000 })]);
  }

  @Get('live')
  @Public()
  @ApiOperation({ summary: 'The process is up and answering' })
  @HealthCheck()
  live() {
    return this.health.check([() => this.indicators.check('process').up({ pid: process.pid })]);
  }

  @Get('ready')
  @Public()
  @ApiOperation({ summary: 'Database reachable and its schema up to date' })
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2000 }),
      async () => {
        const migrations = this.indicators.check('migrations');
        const known = this.dataSource.migrations.map((m) => m.name ?? m.constructor.name);
        const applied = await this.migrationState.appliedNames(2000).catch(() => undefined);
        if (!applied) return migrations.down({ reachable: false });
        const pending = known.filter((name) => !applied.has(name));
        return pending.length > 0 ? migrations.down({ pending }) : migrations.up();
      },
    ]);
  }
}
