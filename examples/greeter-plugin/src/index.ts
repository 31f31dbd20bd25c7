export { GreetingEntity, greeterEvents, greeterPlugin } from './plugin.ts';
