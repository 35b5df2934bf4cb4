import { describe, expect, it } from '@jest/globals';
import { citizenIdOfScan, maskCitizenId } from './citizen-id';

describe('the ID card’s QR as a keyboard-mode scanner types it', () => {
  it('takes the first field when it is 12 digits', () => {
    // A real card's line; the scanner cannot type the name's letters, the digits and bars come through.
    expect(citizenIdOfScan('079123456789|123456789|Nguyễn Văn A|01011990|Nam|Hà Nội|01012021')).toBe('079123456789');
    expect(citizenIdOfScan('079123456789||ng Vn A|01011990')).toBe('079123456789');
    expect(citizenIdOfScan(' 079123456789 ')).toBe('079123456789');
    expect(citizenIdOfScan('079123456789')).toBe('079123456789');
  });

  it('refuses anything else', () => {
    for (const scan of ['', '|079123456789', '07912345678|x', '0791234567890|x', 'O79123456789|x', '079 123 456 789', '٠٧٩١٢٣٤٥٦٧٨٩']) expect(citizenIdOfScan(scan)).toBeUndefined();
  });

  it('shows only the last three digits back', () => {
    expect(maskCitizenId('079123456789')).toBe('•••••••••789');
    expect(maskCitizenId('079123456789')).not.toContain('0791234');
  });
});
