import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import type { AuthedRequest } from './auth.guard';
import { sessionToken } from './auth.guard';
import { AuthService, SESSION_COOKIE } from './auth.service';
import { ApiTags } from '@nestjs/swagger';
import { ApiCall } from '../http/api-docs';
import { createZodDto } from 'nestjs-zod';
import { Public, RequireRole, ROLES } from './roles';

const Username = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._@-]{2,64}$/, 'use 2-64 letters, digits, ".", "_", "@" or "-"');
const Password = z
  .string()
  .min(10, { message: 'use at least 10 characters', abort: true })
  .max(200)
  .refine((p) => p.trim().length >= 10 && new Set(p).size >= 4, 'use at least 10 characters that are not spaces, and not one character repeated');
export const CredentialsSchema = z.strictObject({ username: Username, password: Password });
export const SetupSchema = CredentialsSchema.extend({ setupCode: z.string().trim().min(1, "the setup code from the console's log").max(32) });
export const LoginSchema = z.strictObject({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(200) });
export const NewUserSchema = z.strictObject({ username: Username, password: Password, role: z.enum(ROLES) });

class Setup extends createZodDto(SetupSchema) {}
class Login extends createZodDto(LoginSchema) {}
class NewUser extends createZodDto(NewUserSchema) {}

@ApiTags('auth')
@Controller('api')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** Who is signed in, and whether the console still needs its first admin. */
  @Public()
  @ApiCall('Who is signed in, and whether the first admin is still to be created', { auth: false })
  @Get('session')
  session(@Req() req: AuthedRequest) {
    return { user: req.user ?? null, needsSetup: this.auth.needsSetup };
  }

  /** First-run set-up: creates the admin while there is no user yet, and signs them in. */
  @Public()
  @ApiCall("First-run set-up: create the admin (only while there is no user, with the setup code from the console's log) and sign in", { auth: false })
  @Post('setup')
  @HttpCode(201)
  async setup(@Body() { username, password, setupCode }: Setup, @Res({ passthrough: true }) res: Response) {
    const { user, token } = await this.auth.setup(username, password, setupCode);
    this.setCookie(res, token);
    return { user };
  }

  @Public()
  @ApiCall('Sign in; sets the session cookie. 429 after 5 failures in 5 minutes', { auth: false })
  @Post('login')
  @HttpCode(200)
  async login(@Body() { username, password }: Login, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const { user, token } = await this.auth.login(username, password, req.ip ?? 'unknown');
    this.setCookie(res, token);
    return { user };
  }

  @Public()
  @ApiCall('Sign out', { auth: false })
  @Post('logout')
  @HttpCode(204)
  logout(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): void {
    this.auth.logout(sessionToken(req));
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @RequireRole('admin')
  @ApiCall('Remove a user (admin): their sessions end and their live streams close; the last admin stays')
  @Delete('users/:username')
  @HttpCode(204)
  removeUser(@Param('username') username: string, @Req() req: AuthedRequest): void {
    this.auth.removeUser(req.user!, username);
  }

  @RequireRole('viewer')
  @ApiCall('Sign a user out everywhere (admin, or the user themself)')
  @Post('users/:username/revoke-sessions')
  @HttpCode(200)
  revokeSessions(@Param('username') username: string, @Req() req: AuthedRequest) {
    return { revoked: this.auth.revokeSessions(req.user!, username) };
  }

  @RequireRole('admin')
  @ApiCall('List users (admin)')
  @Get('users')
  users() {
    return { users: this.auth.listUsers() };
  }

  @RequireRole('admin')
  @ApiCall('Add a user with a role (admin)')
  @Post('users')
  @HttpCode(201)
  async addUser(@Body() { username, password, role }: NewUser, @Req() req: AuthedRequest) {
    return { user: await this.auth.createUser(req.user!, username, role, password) };
  }

  private setCookie(res: Response, token: string): void {
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: this.auth.secureCookies, path: '/', maxAge: this.auth.sessionMaxAgeMs });
  }
}
