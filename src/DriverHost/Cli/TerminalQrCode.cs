using QRCoder;

namespace OpenList.DriverHost.Cli;

/// <summary>
/// A QR code drawn with Unicode half blocks (two modules per character row), generated locally by QRCoder: no QR
/// service is called, whatever the provider's <c>qr_url</c> offers. Light modules are drawn as blocks, which reads as
/// a normal QR code on the usual dark terminal background.
/// </summary>
public static class TerminalQrCode
{
    /// <summary>The QR code of <paramref name="text"/>, with its quiet zone, as lines ending in <c>\n</c>.</summary>
    public static string Render(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.L);
        using var ascii = new AsciiQRCode(data);
        return ascii.GetGraphicSmall(drawQuietZones: true, invert: true, endOfLine: "\n");
    }
}
