export { openDatabase, type Db, type OpenOptions } from './open-database';
