-- Which kits take a component (issue 12, found by the query-plan test for issue 17): a stock change
-- of a component re-publishes the kits built from it, and finding them read every product_sales row
-- of the pool (json_each over each kit's components). This table is that lookup's index, kept by
-- triggers on product_sales so every writer keeps it right.
CREATE TABLE kit_components (
  shop_id TEXT NOT NULL,
  component TEXT NOT NULL,
  kit TEXT NOT NULL,
  PRIMARY KEY (shop_id, component, kit)
) WITHOUT ROWID;

INSERT OR IGNORE INTO kit_components (shop_id, component, kit)
  SELECT ps.shop_id, j.value ->> 'sku', ps.sku FROM product_sales ps, json_each(ps.components) AS j WHERE ps.components IS NOT NULL;

CREATE TRIGGER kit_components_insert AFTER INSERT ON product_sales WHEN NEW.components IS NOT NULL BEGIN
  INSERT OR IGNORE INTO kit_components (shop_id, component, kit)
    SELECT NEW.shop_id, j.value ->> 'sku', NEW.sku FROM json_each(NEW.components) AS j;
END;

CREATE TRIGGER kit_components_update AFTER UPDATE OF components ON product_sales BEGIN
  DELETE FROM kit_components WHERE shop_id = OLD.shop_id AND kit = OLD.sku
    AND component IN (SELECT j.value ->> 'sku' FROM json_each(COALESCE(OLD.components, '[]')) AS j);
  INSERT OR IGNORE INTO kit_components (shop_id, component, kit)
    SELECT NEW.shop_id, j.value ->> 'sku', NEW.sku FROM json_each(COALESCE(NEW.components, '[]')) AS j;
END;

CREATE TRIGGER kit_components_delete AFTER DELETE ON product_sales WHEN OLD.components IS NOT NULL BEGIN
  DELETE FROM kit_components WHERE shop_id = OLD.shop_id AND kit = OLD.sku
    AND component IN (SELECT j.value ->> 'sku' FROM json_each(OLD.components) AS j);
END;
