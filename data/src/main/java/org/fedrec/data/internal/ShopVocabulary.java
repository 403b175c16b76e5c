package org.fedrec.data.internal;

import java.util.List;

/** Topic names, product nouns, adjectives and brands for the synthetic shop's titles. */
public final class ShopVocabulary {
  /** One topic: its category name, product nouns and topic adjectives. */
  public record Topic(String name, List<String> nouns, List<String> adjectives) {}

  public static final List<String> BRANDS = List.of("Northpeak", "Kestrel", "Arden", "Lumo", "Vireo", "Halcyon", "Brava", "Tundra",
      "Solace", "Quill", "Ember", "Marlow", "Cobalt", "Fennel", "Orbit", "Juniper");

  public static final List<Topic> TOPICS = List.of(
      t("Running", "trail running shoe, running vest, GPS running watch, compression socks, hydration belt, running jacket",
          "lightweight, breathable, cushioned, reflective"),
      t("Coffee", "espresso grinder, pour-over kettle, espresso machine, milk frother, coffee scale, French press",
          "burr, stainless, barista, precision"),
      t("Camping", "camping tent, sleeping bag, camp stove, headlamp, trekking poles, dry bag",
          "waterproof, ultralight, insulated, four-season"),
      t("Cycling", "bike helmet, bike light, cycling jersey, bike pump, saddle bag, clipless pedals",
          "aero, carbon, padded, rechargeable"),
      t("Photography", "mirrorless camera, prime lens, camera tripod, camera bag, lens filter, flash unit",
          "full-frame, fast, compact, weather-sealed"),
      t("Gaming", "gaming mouse, mechanical keyboard, gaming headset, game controller, gaming chair, capture card",
          "wireless, RGB, low-latency, tournament"),
      t("Kitchen", "chef's knife, cast iron skillet, cutting board, stand mixer, dutch oven, knife sharpener",
          "forged, enameled, non-stick, heavy-duty"),
      t("Gardening", "pruning shears, garden hose, raised bed kit, seed starter tray, watering can, garden gloves",
          "organic, expandable, galvanized, weatherproof"),
      t("Yoga", "yoga mat, yoga block, meditation cushion, yoga strap, yoga leggings, balance board",
          "non-slip, eco, cork, extra-thick"),
      t("Audio", "noise-cancelling headphones, bookshelf speaker, turntable, portable DAC, studio monitor, earbuds",
          "hi-fi, bluetooth, open-back, audiophile"),
      t("Books", "mystery novel, fantasy saga, cookbook, travel guide, history book, poetry collection",
          "hardcover, illustrated, bestselling, annotated"),
      t("Baby", "baby stroller, infant car seat, baby monitor, diaper bag, baby carrier, crib mattress",
          "foldable, hypoallergenic, convertible, organic-cotton"),
      t("Pets", "dog leash, cat tree, dog bed, pet fountain, chew toy, cat litter box",
          "durable, orthopedic, self-cleaning, retractable"),
      t("Tools", "cordless drill, socket set, tape measure, tool chest, laser level, impact driver",
          "brushless, magnetic, professional, rugged"),
      t("Beauty", "face serum, hair dryer, makeup brush set, moisturizer, perfume, nail polish",
          "vegan, hydrating, matte, fragrance-free"),
      t("Office", "standing desk, ergonomic chair, fountain pen, desk lamp, dotted notebook, monitor arm",
          "adjustable, minimalist, dimmable, refillable"),
      t("Travel", "carry-on suitcase, travel pillow, packing cubes, passport wallet, travel adapter, travel backpack",
          "hard-shell, anti-theft, compressible, universal"),
      t("Music", "acoustic guitar, digital piano, guitar strings, ukulele, drum pad, guitar tuner",
          "solid-top, weighted, nickel, beginner"),
      t("Fishing", "fishing rod, spinning reel, tackle box, fishing line, fly lure set, chest waders",
          "telescopic, braided, saltwater, sinking"),
      t("Skiing", "ski goggles, ski boots, ski poles, ski helmet, thermal base layer, ski gloves",
          "anti-fog, heated, alpine, freeride"),
      t("Fitness", "adjustable dumbbells, kettlebell, resistance bands, pull-up bar, rowing machine, foam roller",
          "steel, high-density, space-saving, gym-grade"),
      t("Tea", "loose leaf green tea, tea kettle, matcha whisk, teapot, oolong tea, tea infuser",
          "ceramic, single-origin, hand-rolled, cast iron"),
      t("Smart home", "smart thermostat, video doorbell, smart plug, robot vacuum, mesh wifi router, smart bulb",
          "voice-controlled, energy-saving, app-enabled, programmable"),
      t("Painting", "watercolor set, acrylic paint set, canvas panels, paint brushes, studio easel, sketchbook",
          "artist-grade, archival, portable, cold-press"));

  private ShopVocabulary() {}

  private static Topic t(String name, String nouns, String adjectives) {
    return new Topic(name, Text.splitNonEmpty(nouns, ","), Text.splitNonEmpty(adjectives, ","));
  }
}
