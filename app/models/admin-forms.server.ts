import { z } from 'zod';
import { ROLES } from '../../db/access';

/** The admin pages' form fields, parsed once; a bad value is a 400 naming it. */
export const accessFieldsSchema = z.object({
  role: z.enum(ROLES),
  locations: z.array(z.string().trim().min(1).max(200)).max(100),
});

export function readAccessFields(form: FormData) {
  return accessFieldsSchema.safeParse({ role: form.get('role'), locations: form.getAll('locations') });
}

export function formText(form: FormData, name: string, max = 300): string {
  return String(form.get(name) ?? '')
    .trim()
    .slice(0, max);
}
