// Reference data shared by the pages, loaded once per sign-in.
import * as api from './api.js';

let customers = null;
let skills = null;

export async function loadCustomers(force = false) {
  if (!customers || force) customers = await api.all('/api/v1/customers');
  return customers;
}
export async function loadSkills(force = false) {
  if (!skills || force) skills = await api.all('/api/v1/skills');
  return skills;
}
export function customerName(id) { return customers?.find((c) => c.id === id)?.name || 'Unknown customer'; }
export function forget() { customers = null; skills = null; }

export const statuses = ['DRAFT', 'SUBMITTED', 'MATCHING_IN_PROGRESS', 'MATCHES_FOUND', 'ARCHITECT_SELECTED', 'COMPLETED', 'CANCELLED'];
export const priorities = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
export const categories = ['TECHNICAL', 'SOFT', 'INDUSTRY', 'LANGUAGE'];
export function proficiencies(category) {
  return category === 'LANGUAGE' ? ['BASIC', 'CONVERSATIONAL', 'FLUENT', 'NATIVE'] : ['BEGINNER', 'INTERMEDIATE', 'ADVANCED', 'EXPERT'];
}
