import * as core from '@actions/core';
import { hello } from './a.ts';
core.info(hello('x'));
