import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiCall } from '../http/api-docs';
import { CameraListDto } from './camera.schemas';
import { CamerasService } from './cameras.service';

@ApiTags('cameras')
@Controller('api')
export class CamerasController {
  constructor(private readonly cameras: CamerasService) {}

  /** Every camera of every site, with its stream state and where to watch it. */
  @ApiCall('Every camera of every site with its state, last seen time and live view URL')
  @ApiOkResponse({ type: CameraListDto.Output })
  @Get('cameras')
  list() {
    return { cameras: this.cameras.list() };
  }
}
