using QRCoder;

namespace OpenList.DriverHost.Relay.Pages;

/// <summary>A QR code as PNG bytes, drawn here by QRCoder: the link never goes to a QR service.</summary>
internal static class RelayQrCode
{
    public static byte[] Png(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        using var png = new PngByteQRCode(data);
        return png.GetGraphic(8, drawQuietZones: true);
    }
}
