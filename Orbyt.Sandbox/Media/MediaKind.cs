namespace Orbyt.Sandbox.Media;

/// <summary>What a fetched file must look like.</summary>
public enum MediaKind
{
    /// <summary>JPEG only (FF D8 FF), as Instagram requires.</summary>
    Jpeg,

    /// <summary>Any common image (JPEG, PNG, GIF, BMP, TIFF, WebP), as Facebook Page photos accept.</summary>
    Image,

    /// <summary>An ISO-BMFF file: an "ftyp" box at offset 4.</summary>
    Mp4,
}
