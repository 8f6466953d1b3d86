// CreateVirtualMFADevice's QRCodePNG. The IAM reference: a PNG of
// otpauth://totp/$virtualMFADeviceName@$AccountName?secret=$Base32String, AccountName being the
// account ID when no user is named (CreateVirtualMFADevice names none).
import QRCode from 'qrcode';

export function otpauthUri(deviceName: string, accountId: string, seed: string): string {
  return `otpauth://totp/${deviceName}@${accountId}?secret=${seed}`;
}

export function qrCodePng(text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M' });
}
